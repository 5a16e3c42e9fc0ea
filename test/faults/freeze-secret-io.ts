// Preloaded into a child core (spawnCore's `preload`) so that a kill -9 lands exactly inside a
// secret-file operation instead of somewhere near it. FREEZE_SECRET_IO chooses where:
// - `fsync`: a token file's atomic-write temp file has been written and is about to be synced;
// - `remove`: a token file is about to be deleted (the account is already gone from accounts.json).
// The process then writes `FROZEN <path>` to stderr and that operation never completes.
import fs from 'node:fs';

const SECRET_TEMP = /[\\/]secrets[\\/][^\\/]+\.(json|enc)\.\d+$/;
const SECRET = /[\\/]secrets[\\/][^\\/]+\.(json|enc)$/;

function announce(file: string): void {
  process.stderr.write(`FROZEN ${file}\n`);
}

type Callback = (err: NodeJS.ErrnoException | null, fd: number) => void;
type OpenArgs = [fs.PathLike, ...unknown[]];

const point = process.env.FREEZE_SECRET_IO;

if (point === 'fsync') {
  const temps = new Map<number, string>();
  const open = fs.open as unknown as (...args: unknown[]) => void;
  const fsync = fs.fsync;
  Object.assign(fs, {
    open: (...args: OpenArgs): void => {
      const callback = args.pop() as Callback;
      open(...args, (err: NodeJS.ErrnoException | null, fd: number) => {
        if (!err && SECRET_TEMP.test(String(args[0]))) temps.set(fd, String(args[0]));
        callback(err, fd);
      });
    },
    fsync: (fd: number, callback: (err: NodeJS.ErrnoException | null) => void): void => {
      const temp = temps.get(fd);
      if (temp !== undefined) announce(temp);
      else fsync(fd, callback);
    },
  });
} else if (point === 'remove') {
  const rm = fs.promises.rm;
  Object.assign(fs.promises, {
    rm: (file: fs.PathLike, options?: fs.RmOptions): Promise<void> => {
      if (!SECRET.test(String(file))) return rm(file, options);
      announce(String(file));
      return new Promise<void>(() => undefined);
    },
  });
}
