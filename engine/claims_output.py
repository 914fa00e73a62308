"""`budget-kg claims` output: the claims of the narrative, then the number-bearing sentences left over."""

from __future__ import annotations

import json
from typing import Any

from engine.model import Loaded
from engine.numbers import plain


def claims_view(loaded: Loaded) -> dict[str, Any]:
    claims = [
        {
            "subject": c.subject,
            "kind": c.kind,
            "value": plain(c.span.text) if c.value is not None else None,
            "unit": c.unit,
            "period": c.period,
            "basis": c.basis,
            "direction": c.direction,
            "cause": c.cause,
            "line": c.span.line,
            "page": c.span.page,
            "text": c.span.text,
            **({"box": list(c.span.box)} if c.span.box is not None else {}),
        }
        for c in loaded.claims
    ]
    unparsed = [{"line": u.span.line, "text": u.span.text} for u in loaded.diagnostics if u.stage == "narrative" and u.span]
    return {"claims": claims, "unparsed": unparsed}


def render_json(loaded: Loaded) -> str:
    return json.dumps(claims_view(loaded), ensure_ascii=False, indent=2)


def render_text(loaded: Loaded) -> str:
    view = claims_view(loaded)
    name = loaded.source.name
    out = [f"{name}: {len(view['claims'])} claims, {len(view['unparsed'])} number-bearing sentences not understood"]
    for c in view["claims"]:
        extra = " ".join(f"{k}={c[k]}" for k in ("basis", "direction") if c[k])
        out.append(
            f"{name}:{c['line']}: {c['kind']:12} {c['subject']:24} {c['value'] or '':>12} {c['unit'] or '':4} {extra}"
        )
    if view["unparsed"]:
        out.append("Not understood:")
        out.extend(f"{name}:{u['line']}: {u['text']}" for u in view["unparsed"])
    return "\n".join(out) + "\n"
