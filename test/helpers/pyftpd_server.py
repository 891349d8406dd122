"""pyftpdlib on loopback for ftpsweep's tests: anonymous, read-only, rooted at a temp folder.

Usage: pyftpd_server.py HOST PORT ROOT. Prints "ready" once listening; stops on SIGTERM.
"""
import logging
import sys

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer

host, port, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
logging.basicConfig(level=logging.WARNING)
authorizer = DummyAuthorizer()
authorizer.add_anonymous(root)
handler = FTPHandler
handler.authorizer = authorizer
# The defaults, spelled out: no bounce (RFC 2577), no privileged ports.
handler.permit_foreign_addresses = False
handler.permit_privileged_ports = False
server = FTPServer((host, port), handler)
server.max_cons = 512
print("ready", flush=True)
server.serve_forever(handle_exit=True)
