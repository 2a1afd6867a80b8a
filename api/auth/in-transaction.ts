// Moved to core so that engine data functions (engine/people) share it; api keeps this path.
export { inTransaction } from '../../core/db/in-transaction.js';
