"""The data dictionary: every table, column, type, allowed value and key, from datapackage.json."""

from __future__ import annotations

import html
import json

from explainer.explore._page import View, page

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


def _diagram(names: list[str], keys) -> str:
    """Return an SVG of the tables as boxes and their foreign keys as arrows."""
    cols, w, h, gx, gy = 4, 150, 28, 70, 46
    pos = {
        n: (20 + (i % cols) * (w + gx), 20 + (i // cols) * (h + gy)) for i, n in enumerate(names)
    }
    width = 20 + cols * (w + gx)
    height = 20 + ((len(names) + cols - 1) // cols) * (h + gy)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-labelledby="fk-title">'
        '<title id="fk-title">Foreign keys between the tables: an arrow from a table to the '
        "table its key refers to</title>"
        '<defs><marker id="fk-head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#0072B2"/>'
        "</marker></defs>"
    ]
    for table, fields, ref, _ in keys:
        if table == ref or table not in pos or ref not in pos:
            continue
        (x0, y0), (x1, y1) = pos[table], pos[ref]
        parts.append(
            f'<line x1="{x0 + w / 2}" y1="{y0 + h / 2}" x2="{x1 + w / 2}" y2="{y1 + h / 2}" '
            'stroke="#0072B2" stroke-opacity="0.55" marker-end="url(#fk-head)">'
            f"<title>{html.escape(table)}.{html.escape(fields)} → {html.escape(ref)}</title></line>"
        )
    for name, (x, y) in pos.items():
        parts.append(
            f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="5" fill="#F0E442" stroke="#333"/>'
            f'<text x="{x + w / 2}" y="{y + h / 2 + 5}" text-anchor="middle" font-size="14">'
            f"{html.escape(name)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def dictionary_body(*, data_dir=None) -> str:
    """Return the data dictionary as HTML: a diagram of the keys, then one table per table."""
    descriptor = _descriptor(data_dir)
    resources = sorted(descriptor.get("resources", []), key=lambda r: r["name"])
    keys = foreign_keys(descriptor)
    out = [
        '<h2 id="keys">How the tables join</h2>',
        "<p>Every arrow is a foreign key: a column whose values must be keys of the table it "
        "points to. Hover an arrow for its columns.</p>",
        f'<div class="fk-diagram">{_diagram([r["name"] for r in resources], keys)}</div>',
        '<table class="dict"><caption>Foreign keys</caption><thead><tr><th scope="col">table'
        '</th><th scope="col">columns</th><th scope="col">refer to</th></tr></thead><tbody>',
    ]
    out += [
        f"<tr><td>{html.escape(t)}</td><td><code>{html.escape(f)}</code></td>"
        f"<td>{html.escape(r)}.<code>{html.escape(rf)}</code></td></tr>"
        for t, f, r, rf in keys
    ]
    out.append("</tbody></table>")
    for resource in resources:
        schema = resource.get("schema", {})
        pk = schema.get("primaryKey", [])
        pk = [pk] if isinstance(pk, str) else pk
        fk_of = {f: f"{r}.{rf}" for t, f, r, rf in keys if t == resource["name"]}
        out.append(
            f'<h2 id="table-{html.escape(resource["name"])}">{html.escape(resource["name"])}</h2>'
            f"<p>{html.escape(resource.get('description', ''))} "
            f"<code>{html.escape(resource.get('path', ''))}</code></p>"
            f'<table class="dict"><caption>Columns of {html.escape(resource["name"])}</caption>'
            '<thead><tr><th scope="col">column</th><th scope="col">type</th>'
            '<th scope="col">description</th><th scope="col">allowed values</th>'
            '<th scope="col">key</th></tr></thead><tbody>'
        )
        for field in schema.get("fields", []):
            constraints = field.get("constraints", {})
            allowed = ", ".join(str(v) for v in constraints.get("enum", []))
            if constraints.get("required"):
                allowed = (allowed + "; " if allowed else "") + "required"
            if constraints.get("unique"):
                allowed = (allowed + "; " if allowed else "") + "unique"
            if "pattern" in constraints:
                allowed = (allowed + "; " if allowed else "") + f"pattern {constraints['pattern']}"
            key = []
            if field["name"] in pk:
                key.append("primary key")
            if field["name"] in fk_of:
                key.append(f"→ {fk_of[field['name']]}")
            out.append(
                f"<tr><td><code>{html.escape(field['name'])}</code></td>"
                f"<td>{html.escape(field.get('type', 'any'))}</td>"
                f"<td>{html.escape(field.get('description', ''))}</td>"
                f"<td>{html.escape(allowed)}</td><td>{html.escape('; '.join(key))}</td></tr>"
            )
        out.append("</tbody></table>")
    return "\n".join(out)


def data_dictionary(*, data_dir=None) -> View:
    """Return the data dictionary, generated from ``datapackage.json``.

    Examples
    --------
    >>> view = data_dictionary()
    >>> 'id="table-claims"' in view.html
    True
    """
    body = (
        '<main class="explore-dictionary"><h1 class="explore-title">The data dictionary</h1>'
        "<p>Every table of the data package, its columns with their types, descriptions, "
        "allowed values and keys, as <code>datapackage.json</code> states them.</p>"
        f"{dictionary_body(data_dir=data_dir)}</main>"
    )
    return View(title="The data dictionary", html=page("The data dictionary", body), height=700)
