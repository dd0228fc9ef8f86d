from . import availability, board, spans
