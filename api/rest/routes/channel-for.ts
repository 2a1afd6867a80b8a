import { AppError } from '../../../core/errors.js';
import type { ApiServices } from '../../services/api-services.js';

/** The channel a request names, or the only running channel when it names none. */
export function channelFor(services: ApiServices, requested: string | undefined): string {
  const names = services.channels.map((c) => c.name);
  if (requested !== undefined) {
    if (!names.includes(requested)) {
      throw new AppError('validation_failed', `unknown channel ${requested}`, [
        { field: 'channel', reason: `must be one of ${names.join(', ') || '(no channel is running)'}` },
      ]);
    }
    return requested;
  }
  if (names.length === 1) return names[0]!;
  throw new AppError('validation_failed', 'channel is required when several channels run', [
    { field: 'channel', reason: `required: one of ${names.join(', ') || '(no channel is running)'}` },
  ]);
}
