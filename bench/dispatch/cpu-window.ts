/**
 * What a drained job cost in CPU, whoever spent it: this process (the library or Flightdeck's
 * worker) and the whole machine (Postgres's backends included, which is where most of a job's
 * work happens). Measured over the drain only; the machine figure assumes nothing else runs.
 */
import os from "node:os";

export interface CpuPerJob {
  /** This process's user + system CPU per job, ms. */
  processMs: number;
  /** Every core's busy time per job, ms (os.cpus(): user + nice + sys + irq). */
  machineMs: number;
}

const machineBusyMs = () =>
  os.cpus().reduce((sum, c) => sum + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);

export function startCpuWindow(): (jobs: number) => CpuPerJob {
  const process0 = process.cpuUsage();
  const machine0 = machineBusyMs();
  return (jobs) => {
    const used = process.cpuUsage(process0);
    return {
      processMs: (used.user + used.system) / 1000 / jobs,
      machineMs: (machineBusyMs() - machine0) / jobs,
    };
  };
}
