"""The reports' columns kept for the lägesbild, and the triggers that keep them honest.

Every write of a report raises the ``version`` of its partnership and year (UTC) in
``observations_reportcolumns`` (a row is added for a year that has none), so that columns built
before the write no longer count (``observations.columns``). An update raises both the old and
the new year, and only when a column the lägesbild reads has changed; emptying the table
(TRUNCATE, PostgreSQL only) raises every year. On PostgreSQL inserts and deletes are handled
once per statement (a bulk import of a year raises it once); SQLite has only triggers for each
row.

SQLite drops a table's triggers when a migration rebuilds the table (as Django does there for
most changes of a field): a migration that changes ``Observation`` must create them again;
``tests/observations/test_report_columns.py`` fails when they are missing.
"""

import django.db.models.deletion
from django.db import migrations, models

# What the lägesbild reads of a report: a change to anything else leaves the columns current.
READ_COLUMNS = (
    "partnership_id",
    "occurred_at",
    "occurred_start",
    "occurred_end",
    "time_exact",
    "h3_cell",
    "category_id",
    "area_id",
    "source",
    "organisation_id",
    "merged_into_id",
)
TABLE = "observations_reportcolumns"
NEW_ROW = (
    f"INSERT INTO {TABLE} (partnership_id, year, version, built_version, source_keys, columns) "
)
RAISE = f"ON CONFLICT (partnership_id, year) DO UPDATE SET version = {TABLE}.version + 1"
PG_YEAR = "CAST(EXTRACT(YEAR FROM {0}occurred_at AT TIME ZONE 'UTC') AS integer)"
# SQLite keeps an aware datetime as UTC text, 'YYYY-MM-DD HH:MM:SS…'.
SQLITE_YEAR = "CAST(substr({0}occurred_at, 1, 4) AS INTEGER)"
CHANGED = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in READ_COLUMNS)
SQLITE_CHANGED = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in READ_COLUMNS)

POSTGRESQL = [
    f"ALTER TABLE {TABLE} ALTER COLUMN columns SET STORAGE EXTERNAL",
    f"""CREATE FUNCTION observations_columns_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {NEW_ROW}
        SELECT DISTINCT partnership_id, {PG_YEAR.format("")}, 1, 0, '', CAST(NULL AS bytea) FROM new_rows
        {RAISE};
        RETURN NULL;
    END $$""",
    f"""CREATE FUNCTION observations_columns_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {TABLE} AS kept SET version = kept.version + 1
        FROM (SELECT DISTINCT partnership_id, {PG_YEAR.format("")} AS year FROM old_rows) AS gone
        WHERE kept.partnership_id = gone.partnership_id AND kept.year = gone.year;
        RETURN NULL;
    END $$""",
    f"""CREATE FUNCTION observations_columns_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {TABLE} SET version = version + 1
        WHERE partnership_id = OLD.partnership_id AND year = {PG_YEAR.format("OLD.")};
        {NEW_ROW} VALUES (NEW.partnership_id, {PG_YEAR.format("NEW.")}, 1, 0, '', CAST(NULL AS bytea))
        {RAISE};
        RETURN NULL;
    END $$""",
    f"""CREATE FUNCTION observations_columns_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {TABLE} SET version = version + 1;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER observations_columns_on_insert AFTER INSERT ON observations_observation
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION observations_columns_inserted()""",
    """CREATE TRIGGER observations_columns_on_truncate AFTER TRUNCATE ON observations_observation
    FOR EACH STATEMENT EXECUTE FUNCTION observations_columns_truncated()""",
    """CREATE TRIGGER observations_columns_on_delete AFTER DELETE ON observations_observation
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION observations_columns_deleted()""",
    f"""CREATE TRIGGER observations_columns_on_update AFTER UPDATE ON observations_observation
    FOR EACH ROW WHEN ({CHANGED}) EXECUTE FUNCTION observations_columns_updated()""",
]
POSTGRESQL_UNDO = [
    "DROP TRIGGER observations_columns_on_insert ON observations_observation",
    "DROP TRIGGER observations_columns_on_delete ON observations_observation",
    "DROP TRIGGER observations_columns_on_update ON observations_observation",
    "DROP TRIGGER observations_columns_on_truncate ON observations_observation",
    "DROP FUNCTION observations_columns_inserted()",
    "DROP FUNCTION observations_columns_truncated()",
    "DROP FUNCTION observations_columns_deleted()",
    "DROP FUNCTION observations_columns_updated()",
]
SQLITE = [
    f"""CREATE TRIGGER observations_columns_on_insert AFTER INSERT ON observations_observation
    BEGIN
        {NEW_ROW} VALUES (NEW.partnership_id, {SQLITE_YEAR.format("NEW.")}, 1, 0, '', NULL)
        {RAISE};
    END""",
    f"""CREATE TRIGGER observations_columns_on_delete AFTER DELETE ON observations_observation
    BEGIN
        UPDATE {TABLE} SET version = version + 1
        WHERE partnership_id = OLD.partnership_id AND year = {SQLITE_YEAR.format("OLD.")};
    END""",
    f"""CREATE TRIGGER observations_columns_on_update AFTER UPDATE ON observations_observation
    WHEN {SQLITE_CHANGED}
    BEGIN
        UPDATE {TABLE} SET version = version + 1
        WHERE partnership_id = OLD.partnership_id AND year = {SQLITE_YEAR.format("OLD.")};
        {NEW_ROW} VALUES (NEW.partnership_id, {SQLITE_YEAR.format("NEW.")}, 1, 0, '', NULL)
        {RAISE};
    END""",
]
SQLITE_UNDO = [
    "DROP TRIGGER observations_columns_on_insert",
    "DROP TRIGGER observations_columns_on_delete",
    "DROP TRIGGER observations_columns_on_update",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def stale_for_existing_reports(apps, schema_editor):  # type: ignore[no-untyped-def]
    """A version for each year that already has reports, with no columns built: the lägesbild
    reads those years' reports until ``samtrygg buildreportcolumns`` (or the next write)
    builds them."""
    year = PG_YEAR if schema_editor.connection.vendor == "postgresql" else SQLITE_YEAR
    schema_editor.execute(
        f"{NEW_ROW} SELECT DISTINCT partnership_id, {year.format('')}, 1, 0, '', CAST(NULL AS bytea) "
        "FROM observations_observation"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_jobrun_heartbeat_and_owner"),
        ("observations", "0002_tips_channel_and_area_precision"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReportColumns",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.IntegerField()),
                ("version", models.BigIntegerField(default=1)),
                ("built_version", models.BigIntegerField(default=0)),
                ("source_keys", models.CharField(blank=True, max_length=200)),
                ("columns", models.BinaryField(null=True)),
                (
                    "partnership",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="report_columns",
                        to="core.partnership",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("partnership", "year"), name="report_columns_one_per_year"
                    )
                ],
            },
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_UNDO, "sqlite": SQLITE_UNDO}),
        ),
        migrations.RunPython(stale_for_existing_reports, migrations.RunPython.noop),
    ]
