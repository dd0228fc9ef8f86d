from . import models, wizards


def pre_init_hook(env):
    """The no-double-booking exclusion constraint mixes an equality on employee_id with a range
    overlap in one GiST index, which needs btree_gist. It is a trusted extension, so the database
    owner may create it without superuser rights."""
    env.cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
