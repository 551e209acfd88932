"""The version store the processes of one server share when there is no Redis (settings.CACHES)."""

from django.core.cache.backends.filebased import FileBasedCache


class VersionFiles(FileBasedCache):
    """Django's file cache, never culled: it holds only version tokens (curriculum/cache.py,
    assessments/cache.py), one small file per learner who has changed anything and a few more,
    and dropping one at random would only cost a page computed again. Django's culling lists
    the whole directory on every write, which would cost each rating click a directory scan."""

    def _cull(self):
        pass
