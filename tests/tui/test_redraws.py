"""Opening a screen styles each of its widgets once (tui/redraws.py, the form's focus, the footer,
the summary's breakpoint class).

Work counted, not timed: Textual's style applications per widget while a form opens from the
sample's trainee list. Before, the form's ~70 widgets were styled up to six times each: at mount,
when Textual's auto focus gave the form container the focus, when the first field took it away,
at the screen's first resume, and each compact footer key again when its class was added. The
summary's ~250 widgets were styled again at its first Resize (its -wide or -narrow class), and a
full footer's keys three times."""

from __future__ import annotations

from collections import Counter

import pytest
from textual.css.stylesheet import Stylesheet
from textual.widgets import Input, LoadingIndicator, Select

from fieldtui.tui.app import FieldApp
from fieldtui.tui.screens.form import RecordFormScreen
from fieldtui.tui.widgets.choice import ChoiceField

from .helpers import settle


@pytest.fixture
def styled(monkeypatch) -> Counter:
    """How many times each widget was styled since the counter was last cleared."""
    seen: Counter = Counter()
    apply = Stylesheet.apply

    def counting(self, node, *args, **kwargs):
        seen[node] += 1
        return apply(self, node, *args, **kwargs)

    monkeypatch.setattr(Stylesheet, "apply", counting)
    return seen


@pytest.mark.parametrize("key", ["ctrl+n", "enter"], ids=["new", "stored"])
async def test_a_form_opens_with_each_widget_styled_once(sample_copy, styled, key):
    app = FieldApp(sample_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        styled.clear()
        await pilot.press(key)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RecordFormScreen)
        assert isinstance(screen.focused, (Input, ChoiceField))  # a field, not the form around them
        # A field given its value gets its validity class (one restyle each, of itself alone).
        again = {type(w).__name__: n for w, n in styled.items() if n > 1 and not isinstance(w, (Input, ChoiceField))}
        assert again == {}
        assert len(styled) >= len(list(screen.walk_children())) > 100


@pytest.mark.parametrize("width", [80, 120])  # -narrow, -wide
async def test_the_summary_opens_with_each_widget_styled_once(sample_copy, styled, width):
    app = FieldApp(sample_copy)
    async with app.run_test(size=(width, 40)) as pilot:
        await settle(pilot)
        styled.clear()
        await pilot.press("f5")
        await settle(pilot)
        assert type(app.screen).__name__ == "SummaryScreen" and app.screen.figures is not None
        # The filters take the focus and their values (restyles of their own parts), the loading
        # indicator comes and goes.
        again = {type(w).__name__ for w, n in styled.items() if n > 1 and not isinstance(w, LoadingIndicator)
                 and not any(isinstance(a, (Select, Input)) for a in w.ancestors_with_self)}
        assert again == set()
        assert len(styled) > 200


async def test_a_screen_composes_its_footer_once_as_it_opens(sample_copy, monkeypatch):
    """A screen opened from another draws its footer's keys at the footer's first compose: with
    Textual's way (composed empty until the screen's keys are ready) it was composed three times
    (the exchange screen's four), each followed by a layout of the whole screen."""
    from fieldtui.tui.widgets.footer import Footer

    composed: list[str] = []
    compose = Footer.compose

    def counting(self):
        composed.append(type(self.screen).__name__)
        yield from compose(self)

    monkeypatch.setattr(Footer, "compose", counting)
    app = FieldApp(sample_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for keys, screen in [("f2", "CBOListScreen"), ("f3", "TraineeListScreen"), ("ctrl+n", "TraineeForm"),
                             ("f5", "SummaryScreen"), ("f10", "ExchangeScreen")]:
            composed.clear()
            await pilot.press(keys)
            await settle(pilot)
            assert type(app.screen).__name__ == screen
            assert composed == [screen]
            assert app.screen.query_one(Footer).query("FooterKey")  # with its keys
