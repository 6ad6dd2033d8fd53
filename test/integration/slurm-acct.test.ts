// Slurm backend with accounting (slurmdbd + MariaDB): sacct settles jobs the controller forgot.
import { slurmSuite } from './slurm-suite';

slurmSuite('dbd', 2292);
