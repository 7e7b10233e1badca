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


async def test_each_list_offers_the_person_key_and_names_its_search_as_it_works(sample_copy):
    """Sessions and volunteers showed "Space Person", which did nothing there (no person on the
    row), and every list's search said "name, phone or ID": the sessions list searches a date,
    a topic or an ID, the CBOs' a name or a city. Both now follow what the registry says."""
    from textual.widgets import Input

    expected = {"cbos": ("Search CBO name or city…", False), "trainees": ("Search name, phone or ID…", True),
                "children": ("Search name, phone, guardian or ID…", True),
                "sessions": ("Search date, topic or ID…", False), "volunteers": ("Search name, phone or ID…", False),
                "volunteer_hours": ("Search name, date or ID…", False), "attendance": ("Search name or ID…", True)}
    app = FieldApp(sample_copy)
    async with app.run_test(size=(160, 40)) as pilot:
        for kind, (placeholder, person) in expected.items():
            await app.run_action(f"open({kind!r})")
            await settle(pilot)
            assert app.screen.query_one("#search", Input).placeholder == placeholder, kind
            assert ("Person" in keys(app)) is person, (kind, sorted(keys(app)))
        await app.run_action("open('cbos')")
        await settle(pilot)
        await pilot.press("f12")  # Chinese
        await settle(pilot)
        assert app.screen.query_one("#search", Input).placeholder == "搜索机构名称或城市…"
