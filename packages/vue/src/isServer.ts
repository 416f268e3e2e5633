/** `typeof window`, as VueUse and Pinia check it: on the server nothing connects or subscribes. */
export const isServer = typeof window === 'undefined';
