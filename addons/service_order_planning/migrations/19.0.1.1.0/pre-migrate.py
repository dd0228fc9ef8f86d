"""19.0.1.1.0 adds a constraint that the planned hours of an assignment fit between its start and
its end, and stores them rounded to the second. Bring existing rows within it first, or the
constraint cannot be added: round them, and clip the ones that exceed their assignment."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE service_assignment
           SET planned_hours =
               LEAST(round(planned_hours * 3600), extract(epoch FROM date_end - date_start)) / 3600
         WHERE planned_hours * 3600 <> round(planned_hours * 3600)
            OR planned_hours * 3600 > extract(epoch FROM date_end - date_start)
        """
    )
