#!/usr/bin/env python3
"""A TCP proxy on loopback that adds a round-trip time: each chunk is delivered RTT/2 later in each
direction, and a new connection's first bytes wait one more RTT (the handshake a real network
costs). tc netem is not available on these machines; this stands in for the network.

usage: delay_proxy.py RTT_MS LISTEN_PORT:UPSTREAM_PORT [LISTEN_PORT:UPSTREAM_PORT ...]
Only 127.0.0.1 is used on both sides. Runs until killed.
"""
import asyncio
import sys


async def pump(reader, writer, half_rtt):
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def read():
        while True:
            try:
                data = await reader.read(65536)
            except (ConnectionError, OSError):
                data = b""
            await queue.put((loop.time() + half_rtt, data))
            if not data:
                return

    async def write():
        while True:
            due, data = await queue.get()
            delay = due - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            if not data:
                try:
                    writer.write_eof()
                except (OSError, RuntimeError):
                    pass
                return
            try:
                writer.write(data)
                await writer.drain()
            except (ConnectionError, OSError):
                return

    await asyncio.gather(read(), write())


async def serve(listen, upstream, rtt):
    async def handle(client_reader, client_writer):
        try:
            await asyncio.sleep(rtt)  # the TCP handshake of a real path
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", upstream)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pump(client_reader, up_writer, rtt / 2), pump(up_reader, client_writer, rtt / 2))
        for w in (client_writer, up_writer):
            try:
                w.close()
            except OSError:
                pass

    server = await asyncio.start_server(handle, "127.0.0.1", listen, backlog=512)
    async with server:
        await server.serve_forever()


async def main():
    rtt = float(sys.argv[1]) / 1000.0
    pairs = [tuple(int(x) for x in arg.split(":")) for arg in sys.argv[2:]]
    await asyncio.gather(*(serve(listen, upstream, rtt) for listen, upstream in pairs))


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
