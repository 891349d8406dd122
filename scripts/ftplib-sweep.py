#!/usr/bin/env python3
"""The method of the story, as a reference for `npm run bench`: Python's ftplib, one value after
another on one connection: listen on port HIGH*256+value, PORT, NLST, accept, read to the end, 226.

usage: ftplib-sweep.py HOST PORT [HIGH]
prints one JSON line: probes, passed, seconds (the sweep), cpu (seconds of CPU, the whole process)
"""
import ftplib
import json
import resource
import socket
import sys
import time


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    high = int(sys.argv[3]) if len(sys.argv) > 3 else 100  # ports 25600..25855: below the ephemeral range
    started = time.perf_counter()
    ftp = ftplib.FTP()
    ftp.connect(host, port, timeout=5)
    ftp.login()
    address = ftp.sock.getsockname()[0]
    passed = 0
    for value in range(256):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Node's listeners do
        try:
            listener.bind((address, high * 256 + value))
        except OSError:
            listener.close()
            continue  # taken here: not the server's doing
        listener.listen(1)
        listener.settimeout(5)
        try:
            ftp.sendcmd('PORT %s,%d,%d' % (address.replace('.', ','), high, value))
            ftp.sendcmd('NLST')  # 150: the server connects now
            conn, _ = listener.accept()
            while conn.recv(65536):
                pass
            conn.close()
            ftp.voidresp()  # 226
            passed += 1
        except (ftplib.Error, OSError, EOFError) as error:
            print(value, repr(error), file=sys.stderr)
        finally:
            listener.close()
    try:
        ftp.quit()
    except (ftplib.Error, OSError, EOFError):
        pass  # a proxy in front may close before relaying 221
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({'probes': 256, 'passed': passed, 'seconds': time.perf_counter() - started, 'cpu': usage.ru_utime + usage.ru_stime}))


main()
