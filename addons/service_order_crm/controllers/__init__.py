from . import service_request
