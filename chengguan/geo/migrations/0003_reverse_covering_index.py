# The reverse lookup's index: (cell, lng, lat, id) of every address but roads, read without visiting the table.
# (No AlterField on the table: SQLite would rebuild it and drop the FTS5 triggers of 0002.)

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('geo', '0002_search_index'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='address',
            index=models.Index(condition=models.Q(('level', 'road'), _negated=True), fields=['cell', 'lng', 'lat', 'id'], name='geo_address_near'),
        ),
    ]
