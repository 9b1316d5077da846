import { runReplayFixCli } from './replay-fix-cli.js';

process.exitCode = await runReplayFixCli(process.argv);
