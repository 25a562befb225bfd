"""Pure: where a step sits on its room's path."""

from app.boards.paths import mean_place, places


def test_places_run_from_today_to_the_horizon_per_room() -> None:
    found = places(
        [
            ("late", "a", 0.9, 1),
            ("early", "a", 0.1, 2),
            ("unplaced", "a", None, 0),  # no place yet: after the placed ones
            ("middle", "a", 0.5, 3),
            ("alone", "b", 0.7, 4),  # a path of one step puts it halfway
        ]
    )
    assert found == {"early": 0.0, "middle": 1 / 3, "late": 2 / 3, "unplaced": 1.0, "alone": 0.5}


def test_ties_on_a_path_keep_the_order_of_writing() -> None:
    assert places([("second", "a", 0.5, 2), ("first", "a", 0.5, 1)]) == {
        "first": 0.0,
        "second": 1.0,
    }


def test_an_items_place_is_the_mean_of_its_steps() -> None:
    assert mean_place(["a", "b", "not-a-step"], {"a": 0.0, "b": 0.5}) == 0.25
    assert mean_place(["not-a-step"], {"a": 0.0}) is None
