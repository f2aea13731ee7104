from django.db import migrations, models
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Concat, Trim


def name_issued_certificates(apps, schema_editor):
    """Certificates issued so far carry their holder's current name; those without one stay blank and
    show the neutral label until the learner gives a name."""
    Certificate = apps.get_model("learners", "Certificate")
    Enrollment = apps.get_model("learners", "Enrollment")
    names = Enrollment.objects.filter(pk=OuterRef("enrollment_id")).values(
        name=Trim(Concat("student__first_name", Value(" "), "student__last_name", output_field=CharField()))
    )
    Certificate.objects.update(holder_name=Subquery(names[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("learners", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="holder_name",
            field=models.CharField(blank=True, max_length=301, verbose_name="holder's name"),
        ),
        migrations.RunPython(name_issued_certificates, migrations.RunPython.noop),
    ]
