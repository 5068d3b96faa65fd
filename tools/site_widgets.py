"""A lesson's executed outputs as static HTML, for the site (tools/build_site.py).

An executed notebook keeps its ipywidgets as saved model state (``metadata.widgets``) and its outputs
as mime bundles. :class:`StaticOutputs` turns both into plain HTML that needs no kernel and no widget
manager: HTML widgets become their markup, boxes their children, ``Output`` widgets their outputs,
plotly figures a ``<div>`` with the figure's JSON beside it (drawn by the page's local plotly.js), and
every control (slider, button, choice, text box) its first state, disabled. An output that holds a
control is marked as needing a kernel, so the page can say where the working version is.

A model this module does not know, or an error output, is a :class:`SiteError` naming the lesson, the
cell and the model: the site never silently drops part of a lesson.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
#: plotly.js options for every figure on the site (as in the notebooks: no logo, resizes with the page).
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}

esc = html.escape


class SiteError(ValueError):
    """A part of a lesson the site cannot show as it is."""


@dataclass
class Rendered:
    """One output as HTML; ``controls`` counts the kernel-bound controls inside it."""

    html: str
    controls: int = 0
    figures: int = 0

    def __add__(self, other: Rendered) -> Rendered:
        return Rendered(self.html + other.html, self.controls + other.controls, self.figures + other.figures)


def _classes(state: dict, base: str) -> str:
    return esc(" ".join([base, *state.get("_dom_classes", [])]))


def _label(state: dict) -> str:
    text = state.get("description") or ""
    return f'<span class="lk-static-label">{esc(text)}</span> ' if text else ""


def _options(state: dict) -> list[str]:
    return [str(o) for o in state.get("_options_labels", [])]


def _selected(state: dict) -> set[int]:
    index = state.get("index")
    if index is None:
        return set()
    return set(index) if isinstance(index, list | tuple) else {int(index)}


class StaticOutputs:
    """Render one executed lesson's outputs; ``where`` (the lesson's file name) goes into every error."""

    def __init__(self, widget_state: dict, where: str):
        self.models: dict[str, dict] = widget_state.get("state", {}) if widget_state else {}
        self.where = where
        self.cell = "?"
        self._figure_count = 0
        self._renderers: dict[str, Callable[[dict], Rendered]] = {
            "HTMLModel": self._html,
            "HTMLMathModel": self._html,
            "LabelModel": self._label_model,
            "VBoxModel": self._box,
            "HBoxModel": self._box,
            "BoxModel": self._box,
            "GridBoxModel": self._box,
            "AccordionModel": self._box,
            "OutputModel": self._output_model,
            "ButtonModel": self._button,
            "RadioButtonsModel": self._choices,
            "ToggleButtonsModel": self._toggles,
            "DropdownModel": self._dropdown,
            "SelectMultipleModel": self._dropdown,
            "SelectModel": self._dropdown,
            "IntSliderModel": self._slider,
            "FloatSliderModel": self._slider,
            "IntRangeSliderModel": self._slider,
            "FloatRangeSliderModel": self._slider,
            "SelectionSliderModel": self._slider,
            "SelectionRangeSliderModel": self._slider,
            "TextModel": self._text,
            "TextareaModel": self._text,
            "IntTextModel": self._text,
            "BoundedIntTextModel": self._text,
            "FloatTextModel": self._text,
            "BoundedFloatTextModel": self._text,
            "CheckboxModel": self._checkbox,
        }

    # ---- outputs ---------------------------------------------------------------------------------------
    def cell_outputs(self, cell_id: str, outputs: Iterable[dict]) -> list[Rendered]:
        """Every output of one code cell, in order (empty ones left out)."""
        self.cell = cell_id
        return [r for r in (self.output(o) for o in outputs) if r.html]

    def output(self, out: dict) -> Rendered:
        kind = out.get("output_type")
        if kind == "stream":
            return Rendered(f'<pre class="lk-stream">{esc(_text(out.get("text", "")))}</pre>')
        if kind == "error":
            raise SiteError(
                f"{self.where}, cell {self.cell}: the lesson raised {out.get('ename')}: {out.get('evalue')}"
            )
        data = out.get("data", {})
        if WIDGET_MIME in data:
            return self.widget(data[WIDGET_MIME]["model_id"])
        if PLOTLY_MIME in data:
            return self.figure(data[PLOTLY_MIME])
        if "text/html" in data:
            return Rendered(_text(data["text/html"]))
        if "image/png" in data:
            return Rendered(f'<img alt="" src="data:image/png;base64,{_text(data["image/png"]).strip()}">')
        if "text/plain" in data:
            return Rendered(f'<pre class="lk-stream">{esc(_text(data["text/plain"]))}</pre>')
        raise SiteError(f"{self.where}, cell {self.cell}: an output with no type the site can show: {sorted(data)}")

    def figure(self, spec: dict) -> Rendered:
        """A plotly figure: an empty ``div`` and its JSON, which the page's script draws."""
        self._figure_count += 1
        fig_id = f"lk-fig-{self._figure_count}"
        title = spec.get("layout", {}).get("title") or {}
        title_text = title.get("text", "") if isinstance(title, dict) else str(title)
        payload = json.dumps(
            {"data": spec.get("data", []), "layout": spec.get("layout", {}), "config": PLOTLY_CONFIG},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        payload = payload.replace("</", "<\\/")  # no "</script>" can end the JSON early
        return Rendered(
            f'<div class="lk-site-figure" id="{fig_id}" role="figure" aria-label="{esc(title_text)}"></div>'
            f'<script type="application/json" class="lk-site-figure-data" data-for="{fig_id}">{payload}</script>',
            figures=1,
        )

    # ---- widgets ---------------------------------------------------------------------------------------
    def widget(self, ref: str) -> Rendered:
        model_id = ref.removeprefix("IPY_MODEL_")
        model = self.models.get(model_id)
        if model is None:
            raise SiteError(
                f"{self.where}, cell {self.cell}: widget {model_id} has no saved state "
                "(was the lesson executed with store_widget_state?)"
            )
        name = model.get("model_name", "?")
        state = {**model.get("state", {}), "_model_name": name}  # saved state may leave the name out
        if self._hidden(state):
            return Rendered("")
        renderer = self._renderers.get(name)
        if renderer is None:
            raise SiteError(
                f"{self.where}, cell {self.cell}: the site cannot show a {name} widget "
                f"({model_id}); add it to tools/site_widgets.py"
            )
        return renderer(state)

    def _hidden(self, state: dict) -> bool:
        layout = self.models.get(str(state.get("layout", "")).removeprefix("IPY_MODEL_"), {}).get("state", {})
        return layout.get("display") == "none" or layout.get("visibility") == "hidden"

    def _html(self, state: dict) -> Rendered:
        return Rendered(
            f'<div class="{_classes(state, "lk-static-html")}">{_label(state)}{state.get("value", "")}</div>'
        )

    def _label_model(self, state: dict) -> Rendered:
        return Rendered(f'<div class="{_classes(state, "lk-static-html")}">{esc(state.get("value", ""))}</div>')

    def _box(self, state: dict) -> Rendered:
        inner = Rendered("")
        for child in state.get("children", []):
            inner = inner + self.widget(child)
        row = " lk-static-row" if state.get("_model_name") == "HBoxModel" else ""
        return Rendered(
            f'<div class="{_classes(state, "lk-static-box" + row)}">{inner.html}</div>', inner.controls, inner.figures
        )

    def _output_model(self, state: dict) -> Rendered:
        inner = Rendered("")
        for out in state.get("outputs", []):
            inner = inner + self.output(out)
        return Rendered(
            f'<div class="{_classes(state, "lk-static-output")}">{inner.html}</div>', inner.controls, inner.figures
        )

    def _button(self, state: dict) -> Rendered:
        return Rendered(
            f'<button class="{_classes(state, "lk-static-button")}" disabled '
            f'title="Works in the interactive version">{esc(state.get("description", ""))}</button>',
            1,
        )

    def _choices(self, state: dict) -> Rendered:
        chosen = _selected(state)
        items = "".join(
            f'<li><label><input type="radio" disabled{" checked" if i in chosen else ""}> {esc(o)}</label></li>'
            for i, o in enumerate(_options(state))
        )
        return Rendered(f'<div class="{_classes(state, "lk-static-choices")}">{_label(state)}<ul>{items}</ul></div>', 1)

    def _toggles(self, state: dict) -> Rendered:
        chosen = _selected(state)
        items = "".join(
            f'<button disabled class="lk-static-toggle{" lk-static-on" if i in chosen else ""}"'
            f' aria-pressed="{"true" if i in chosen else "false"}">{esc(o)}</button>'
            for i, o in enumerate(_options(state))
        )
        return Rendered(f'<div class="{_classes(state, "lk-static-toggles")}">{_label(state)}{items}</div>', 1)

    def _dropdown(self, state: dict) -> Rendered:
        chosen = _selected(state)
        multiple = " multiple" if state.get("_model_name") == "SelectMultipleModel" else ""
        items = "".join(
            f"<option{' selected' if i in chosen else ''}>{esc(o)}</option>" for i, o in enumerate(_options(state))
        )
        return Rendered(
            f'<div class="{_classes(state, "lk-static-select")}"><label>{_label(state)}'
            f"<select disabled{multiple}>{items}</select></label></div>",
            1,
        )

    def _slider(self, state: dict) -> Rendered:
        options = _options(state)
        if options:
            shown = " – ".join(options[i] for i in sorted(_selected(state)))
        else:
            value = state.get("value")
            shown = " – ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        return Rendered(
            f'<div class="{_classes(state, "lk-static-slider")}">{_label(state)}'
            f'<span class="lk-static-value">{esc(shown)}</span> '
            '<span class="lk-static-hint">(a slider in the interactive version)</span></div>',
            1,
        )

    def _text(self, state: dict) -> Rendered:
        value = "" if state.get("value") is None else str(state.get("value"))
        placeholder = esc(str(state.get("placeholder") or ""))
        if state.get("_model_name") == "TextareaModel":
            field = f'<textarea disabled rows="3" placeholder="{placeholder}">{esc(value)}</textarea>'
        else:
            field = f'<input disabled value="{esc(value)}" placeholder="{placeholder}">'
        return Rendered(
            f'<div class="{_classes(state, "lk-static-text")}"><label>{_label(state)}{field}</label></div>', 1
        )

    def _checkbox(self, state: dict) -> Rendered:
        checked = " checked" if state.get("value") else ""
        return Rendered(
            f'<div class="{_classes(state, "lk-static-check")}"><label><input type="checkbox" disabled'
            f"{checked}> {esc(state.get('description', ''))}</label></div>",
            1,
        )


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)
