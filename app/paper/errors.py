class PaperError(ValueError):
    """A document we cannot read; ``message`` is one Chinese sentence for the admin."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
