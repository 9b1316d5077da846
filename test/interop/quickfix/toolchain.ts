/**
 * The QuickFIX/C++ side of the interop suite: finds g++ and libquickfix-dev, builds the two test
 * programs once per source version into node_modules/.cache/deltatrace-interop/ (keyed by a hash
 * of the source, the flags and the compiler), and writes QuickFIX session settings files.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '..', '..', '..');
export const CACHE_DIR = path.join(projectRoot, 'node_modules', '.cache', 'deltatrace-interop');
export const QUICKFIX_HEADER = '/usr/include/quickfix/Application.h';
const FLAGS = ['-std=gnu++14', '-O1'];
const LIBS = ['-lquickfix', '-lpthread'];
const BUILD_TIMEOUT_MS = 240_000;

/** The compiler's identity, or undefined when there is no usable g++. */
function compilerVersion(): string | undefined {
  const result = spawnSync('g++', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return result.status === 0 ? result.stdout.split('\n')[0] : undefined;
}

/** Why the QuickFIX programs cannot be built here, or undefined when they can. */
export function missingToolchain(): string | undefined {
  if (compilerVersion() === undefined) return 'g++ is not installed';
  if (!existsSync(QUICKFIX_HEADER)) return `${QUICKFIX_HEADER} is missing (libquickfix-dev)`;
  return undefined;
}

/** Builds `test/interop/quickfix/<name>.cpp` unless the cache has it; returns the binary. */
export async function buildProgram(name: 'qf-initiator' | 'qf-acceptor'): Promise<string> {
  const source = path.join(here, `${name}.cpp`);
  const hash = createHash('sha256')
    .update(await readFile(source))
    .update(JSON.stringify([FLAGS, LIBS, compilerVersion()]))
    .digest('hex')
    .slice(0, 16);
  const binary = path.join(CACHE_DIR, `${name}-${hash}`);
  if (existsSync(binary)) return binary;
  await mkdir(CACHE_DIR, { recursive: true });
  // Built under a private name and renamed: a concurrent run never sees half a binary.
  const partial = `${binary}.${process.pid}.partial`;
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(
        'g++',
        [...FLAGS, '-o', partial, source, ...LIBS],
        { timeout: BUILD_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
        (error, _stdout, stderr) =>
          error === null ? resolve() : reject(new Error(`building ${name} failed:\n${stderr}`)),
      );
    });
    await rename(partial, binary);
  } finally {
    await rm(partial, { force: true });
  }
  return binary;
}

export interface QuickfixSettings {
  readonly connectionType: 'initiator' | 'acceptor';
  readonly senderCompId: string;
  readonly targetCompId: string;
  readonly port: number;
  readonly storeDir: string;
  /** QuickFIX's DataDictionary; absent: UseDataDictionary=N. */
  readonly dataDictionary: string | undefined;
  readonly resetOnLogon: boolean;
}

/** Writes a QuickFIX session settings file and returns its path. */
export async function writeSettings(file: string, settings: QuickfixSettings): Promise<string> {
  const lines = [
    '[DEFAULT]',
    `ConnectionType=${settings.connectionType}`,
    `FileStorePath=${settings.storeDir}`,
    'StartTime=00:00:00',
    'EndTime=00:00:00',
    'HeartBtInt=30',
    'ReconnectInterval=1',
    `ResetOnLogon=${settings.resetOnLogon ? 'Y' : 'N'}`,
    ...(settings.dataDictionary === undefined
      ? ['UseDataDictionary=N']
      : ['UseDataDictionary=Y', `DataDictionary=${settings.dataDictionary}`]),
    ...(settings.connectionType === 'initiator'
      ? ['SocketConnectHost=127.0.0.1', `SocketConnectPort=${settings.port}`]
      : [`SocketAcceptPort=${settings.port}`]),
    '',
    '[SESSION]',
    'BeginString=FIX.4.4',
    `SenderCompID=${settings.senderCompId}`,
    `TargetCompID=${settings.targetCompId}`,
    '',
  ];
  await writeFile(file, lines.join('\n'));
  return file;
}
