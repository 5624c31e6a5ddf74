"""Load the shipped reference data: 21 län, 290 kommuner with boundaries, population 2024."""

from django.db import migrations


def load_reference(apps, schema_editor):
    from samtrygg.core import reference

    reference.load(
        apps.get_model("core", "County"),
        apps.get_model("core", "Municipality"),
        apps.get_model("core", "Population"),
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load_reference, migrations.RunPython.noop)]
