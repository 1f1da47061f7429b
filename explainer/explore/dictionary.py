"""The data dictionary: every table, column, type, allowed value and key, from datapackage.json."""

from __future__ import annotations

import json

from markupsafe import Markup

from explainer.explore._page import View, asset, page, render

__all__ = ["data_dictionary", "dictionary_body", "foreign_keys"]


def _descriptor(data_dir=None) -> dict:
    from explainer._paths import resolve_data_dir

    path = resolve_data_dir(data_dir) / "datapackage.json"
    return json.loads(path.read_text(encoding="utf-8"))


def foreign_keys(descriptor: dict) -> list[tuple[str, str, str, str]]:
    """Return every foreign key as ``(table, fields, referenced table, referenced fields)``.

    Examples
    --------
    >>> keys = foreign_keys(_descriptor())
    >>> ("relations", "claim_id", "claims", "claim_id") in keys
    True
    """
    keys = []
    for resource in descriptor.get("resources", []):
        for fk in resource.get("schema", {}).get("foreignKeys", []):
            fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
            ref = fk["reference"]
            ref_fields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
            keys.append(
                (
                    resource["name"],
                    ", ".join(fields),
                    ref.get("resource") or resource["name"],
                    ", ".join(ref_fields),
                )
            )
    return sorted(keys)


def _diagram(names: list[str], keys) -> dict:
    """Return where the tables' boxes and their foreign keys' arrows go in the diagram."""
    cols, w, h, gx, gy = 4, 150, 28, 70, 46
    pos = {
        n: (20 + (i % cols) * (w + gx), 20 + (i // cols) * (h + gy)) for i, n in enumerate(names)
    }
    arrows = []
    for table, fields, ref, _ in keys:
        if table == ref or table not in pos or ref not in pos:
            continue
        (x0, y0), (x1, y1) = pos[table], pos[ref]
        arrows.append(
            {
                "x1": x0 + w / 2,
                "y1": y0 + h / 2,
                "x2": x1 + w / 2,
                "y2": y1 + h / 2,
                "table": table,
                "fields": fields,
                "ref": ref,
            }
        )
    return {
        "width": 20 + cols * (w + gx),
        "height": 20 + ((len(names) + cols - 1) // cols) * (h + gy),
        "w": w,
        "h": h,
        "arrows": arrows,
        "boxes": [{"name": n, "x": x, "y": y} for n, (x, y) in pos.items()],
    }


def _allowed(constraints: dict) -> str:
    allowed = ", ".join(str(v) for v in constraints.get("enum", []))
    if constraints.get("required"):
        allowed = (allowed + "; " if allowed else "") + "required"
    if constraints.get("unique"):
        allowed = (allowed + "; " if allowed else "") + "unique"
    if "pattern" in constraints:
        allowed = (allowed + "; " if allowed else "") + f"pattern {constraints['pattern']}"
    return allowed


def dictionary_body(*, data_dir=None, diagram: bool = True) -> Markup:
    """Return the data dictionary as HTML: a diagram of the keys, then one table per table.

    With ``diagram=False`` the SVG diagram is left out (the tables say the same).
    """
    descriptor = _descriptor(data_dir)
    resources = sorted(descriptor.get("resources", []), key=lambda r: str(r["name"]))
    keys = foreign_keys(descriptor)
    tables = []
    for resource in resources:
        schema = resource.get("schema", {})
        pk = schema.get("primaryKey", [])
        pk = [pk] if isinstance(pk, str) else pk
        fk_of = {f: f"{r}.{rf}" for t, f, r, rf in keys if t == resource["name"]}
        fields = []
        for field in schema.get("fields", []):
            key = []
            if field["name"] in pk:
                key.append("primary key")
            if field["name"] in fk_of:
                key.append(f"\u2192 {fk_of[field['name']]}")
            fields.append(
                {
                    "name": field["name"],
                    "type": field.get("type", "any"),
                    "description": field.get("description", ""),
                    "allowed": _allowed(field.get("constraints", {})),
                    "key": "; ".join(key),
                }
            )
        tables.append(
            {
                "name": resource["name"],
                "description": resource.get("description", ""),
                "path": resource.get("path", ""),
                "fields": fields,
            }
        )
    drawn = _diagram([r["name"] for r in resources], keys) if diagram else None
    return render("dictionary.html", diagram=drawn, keys=keys, tables=tables)


def data_dictionary(*, data_dir=None) -> View:
    """Return the data dictionary, generated from ``datapackage.json``.

    Examples
    --------
    >>> view = data_dictionary()
    >>> 'id="table-claims"' in view.html
    True
    """
    body = render("dictionary_page.html", body=dictionary_body(data_dir=data_dir), site=False)
    # Before the cell runs (untrusted), the tables without the diagram: JupyterLab drops SVG.
    tables = dictionary_body(data_dir=data_dir, diagram=False)
    static = render("dictionary_static.html", body=tables)
    return View(
        title="The data dictionary",
        html=page("The data dictionary", body, scripts=(asset("frame.js"),)),
        height=700,
        fallback=str(static),
    )
