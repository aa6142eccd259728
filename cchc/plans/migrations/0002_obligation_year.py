from django.db import migrations, models


def copy_plan_year(apps, schema_editor):
    Obligation = apps.get_model("plans", "Obligation")
    Plan = apps.get_model("plans", "Plan")
    for plan_id, year in Plan.objects.values_list("pk", "year"):
        Obligation.objects.filter(task__plan_id=plan_id).update(year=year)


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="obligation", name="year", field=models.PositiveSmallIntegerField(default=0, verbose_name="năm"),
        ),
        migrations.RunPython(copy_plan_year, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="obligation", name="year", field=models.PositiveSmallIntegerField(verbose_name="năm"),
        ),
    ]
