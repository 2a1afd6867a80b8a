import { z } from 'zod';

// zod compiles fast object parsers with `new Function` when it may; the dashboard's strict
// Content-Security-Policy forbids eval, and even zod's probe for it is reported as a
// violation. Imported first in main.tsx, so no schema parses before it.
z.config({ jitless: true });
