// Memory of the server under load, from /proc (Linux only). The server is a process tree (tsx → node running
// scripts/run.ts, which serves in-process); the serving process is the descendant that owns the listening socket.
import fs from "node:fs";

function parentOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid …": comm may contain spaces and parentheses, so split after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[1]);
  } catch {
    return null; // exited meanwhile
  }
}

/** `root` and all its descendants, from the ppid of every process in /proc. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const ppid = parentOf(pid);
    if (ppid === null) continue;
    const list = children.get(ppid) ?? [];
    list.push(pid);
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift() as number;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** A field of /proc/<pid>/status in MB (e.g. "VmRSS", "VmHWM"), or null when the process is gone. */
export function statusMb(pid: number, field: "VmRSS" | "VmHWM"): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    return m?.[1] ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system) the process has used so far, in ms, or null when it is gone. /proc/<pid>/stat counts in
 *  clock ticks: 100 per second on Linux (USER_HZ), whatever the kernel's own tick rate. */
export function cpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After "(comm) ": state is field 0, so utime (field 14 of the whole line) is 11 and stime 12.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      const state = cols[3];
      const inode = cols[9];
      if (!local || !inode || state !== "0A") continue; // 0A = LISTEN
      if (Number.parseInt(local.split(":").pop() ?? "", 16) === port) inodes.add(inode);
    }
  }
  return inodes;
}

/** The process in `root`'s tree that listens on `port`; falls back to the tree's largest process. */
export function servingProcess(root: number, port: number): { pid: number; how: "socket" | "largest" } | null {
  const tree = processTree(root);
  const inodes = listeningInodes(port);
  for (const pid of tree) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m?.[1] && inodes.has(m[1])) return { pid, how: "socket" };
      } catch {
        // fd closed meanwhile
      }
    }
  }
  let best: { pid: number; rss: number } | null = null;
  for (const pid of tree) {
    const rss = statusMb(pid, "VmRSS");
    if (rss !== null && (!best || rss > best.rss)) best = { pid, rss };
  }
  return best ? { pid: best.pid, how: "largest" } : null;
}

/** Samples VmRSS of `pid` every `intervalMs` until stopped; returns the peak in MB. */
export function sampleRss(pid: number, intervalMs = 100): { stop(): number } {
  let peak = statusMb(pid, "VmRSS") ?? 0;
  const timer = setInterval(() => {
    const rss = statusMb(pid, "VmRSS");
    if (rss !== null && rss > peak) peak = rss;
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const rss = statusMb(pid, "VmRSS");
      if (rss !== null && rss > peak) peak = rss;
      return peak;
    },
  };
}
