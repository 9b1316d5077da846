/**
 * Peak RSS of this process, in MB. On Linux it is the memory map's high-water mark (VmHWM), which
 * starts afresh at exec: `resourceUsage().maxRSS` does not, and a child started by a large parent
 * reports at least the parent's size at the fork. Elsewhere, maxRSS.
 */
import { readFileSync } from 'node:fs';

export function peakRssMb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match !== null) return Math.round(Number(match[1]) / 1024);
  } catch {
    // Not Linux: fall through.
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
