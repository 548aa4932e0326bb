"""asyncio.gather of four 50 ms sleeps on one thread."""
import asyncio


async def nap(i):
    await asyncio.sleep(0.05)
    return i


async def main():
    return await asyncio.gather(*(nap(i) for i in range(4)))


if __name__ == "__main__":
    print(asyncio.run(main()))
