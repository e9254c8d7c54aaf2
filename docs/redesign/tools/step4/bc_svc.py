SOURCE = "core/broadcast/service.py"
HOMES = {"core.broadcast.model": ["Preview"]}
