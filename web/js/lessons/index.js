// index.js: the lessons, in the order a student takes them (each a file
// of data in this folder; lesson-model.js describes the format).
import block from './l01-block.js';
import firstFit from './l02-first-fit.js';
import split from './l03-split.js';
import coalesce from './l04-coalesce.js';
import fits from './l05-fits.js';
import fragmentation from './l06-fragmentation.js';
import order from './l07-order.js';
import fast from './l08-fast.js';
import realloc from './l09-realloc.js';
import predict from './l10-predict.js';

export const LESSONS = Object.freeze([block, firstFit, split, coalesce, fits, fragmentation, order, fast, realloc, predict]);
