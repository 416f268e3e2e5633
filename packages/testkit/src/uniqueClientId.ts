let n = 0;

/** A client id unique to this process and call, so broker events of different connections can be told apart. */
export const uniqueClientId = (name: string): string => `${name}-${process.pid}-${++n}`;
