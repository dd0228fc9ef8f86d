from . import board, spans
