// One connection for the app. On the server (each request) CoplayPlugin creates it idle and nothing
// connects; in the browser it connects once the first component using it has mounted.
import { endpointCredentials } from '@coplay/core';
import { CoplayPlugin } from '@coplay/vue';

export default defineNuxtPlugin((nuxtApp) => {
  nuxtApp.vueApp.use(CoplayPlugin, {
    options: {
      url: useRuntimeConfig().public.brokerUrl,
      // The token route answers the client id too (deviceId@appId).
      credentials: endpointCredentials({
        url: '/api/coplay-token',
        body: { deviceId: Math.random().toString(36).slice(2, 14) },
      }),
    },
  });
});
