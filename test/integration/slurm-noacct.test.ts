// Slurm backend without accounting: squeue, our exit record and slurmstepd's notes only.
import { slurmSuite } from './slurm-suite';

slurmSuite('none', 2291);
