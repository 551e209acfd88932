"""Path converters every app's URLs share."""


class RowId:
    """A row's id in a URL: 1 to 18 digits. A longer number is a 404, not an overflow in the
    database driver (SQLite refuses integers past 2**63 with an OverflowError)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)
