"""The footer shows the keys that work now, and is rebuilt only when they change.

Textual's Footer rebuilt its dozen key widgets at every focus move (~20 ms of CPU each): Tab
through a form rebuilt it at each field for the same keys. Ours (tui/widgets/footer.py) keeps them
while they stay the same, and must still follow every change a person can cause: a key enabled or
offered or not (Restore, while removed records are shown), another screen, another language."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from fieldtui.i18n import set_language
from fieldtui.tui.app import FieldApp
from fieldtui.tui.language import retranslate_classes

from .helpers import settle


def keys(app: FieldApp) -> dict[str, FooterKey]:
    return {key.description or key.key: key for key in app.screen.query(FooterKey)}


async def test_tab_keeps_the_footer_and_every_change_of_keys_shows(sample_copy):
    app = FieldApp(sample_copy)
    try:
        async with app.run_test(size=(160, 40)) as pilot:
            await pilot.press("f3")
            await settle(pilot)
            assert "Restore" not in keys(app)  # offered only while removed records are shown
            await pilot.press("ctrl+t")
            await settle(pilot)
            assert not keys(app)["Restore"].disabled
            await pilot.press("ctrl+t")
            await settle(pilot)
            assert "Restore" not in keys(app)

            await pilot.press("ctrl+n")
            await settle(pilot)
            shown = keys(app)
            assert {"Save", "Back"} <= set(shown) and "Restore" not in shown
            for _ in range(6):
                await pilot.press("tab")
                await settle(pilot)
            assert all(a is b for a, b in zip(keys(app).values(), shown.values(), strict=True))  # not rebuilt

            await pilot.press("f12")
            await settle(pilot)
            assert {"保存", "返回"} <= set(keys(app)), set(keys(app))
    finally:
        set_language("en")
        retranslate_classes()
