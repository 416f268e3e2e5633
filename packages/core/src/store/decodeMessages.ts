import { filter, map, type OperatorFunction } from 'rxjs';
import type { Codec } from '../codec/Codec';
import { CoplayError, isCoplayError } from '../errors/CoplayError';
import type { Message } from '../connection/types';

/** Picks what a reader keeps of a decoded payload; `message` carries the topic (for wildcard filters). */
export type Select<D, T> = (value: D, message: Message) => T;

const SKIP: unique symbol = Symbol('skip');

/**
 * Decodes message payloads with `codec`, then applies `select`. A message that either one throws
 * for is skipped and reported to `onDrop` as a `DECODE_FAILED` {@link CoplayError}; it never
 * errors the stream. Every other message is passed on, in order, none merged.
 */
export function decodeMessages<D, T = D>(
  codec: Codec<D>,
  select?: Select<D, T>,
  onDrop?: (error: CoplayError, message: Message) => void,
): OperatorFunction<Message, T> {
  return (source) =>
    source.pipe(
      map((message): T | typeof SKIP => {
        try {
          const decoded = codec.decode(message.payload);
          return select ? select(decoded, message) : (decoded as unknown as T);
        } catch (cause) {
          onDrop?.(
            isCoplayError(cause, 'DECODE_FAILED')
              ? cause
              : new CoplayError('DECODE_FAILED', `cannot read a message on ${message.topic}`, {
                  cause,
                  details: { topic: message.topic, bytes: message.payload.byteLength },
                }),
            message,
          );
          return SKIP;
        }
      }),
      filter((value): value is T => value !== SKIP),
    );
}
