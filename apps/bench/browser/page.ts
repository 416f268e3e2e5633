export const params = new URLSearchParams(location.search);
export const now = () => performance.timeOrigin + performance.now();
