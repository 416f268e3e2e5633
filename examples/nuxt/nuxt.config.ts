// https://nuxt.com/docs/api/nuxt-config
export default defineNuxtConfig({
  compatibilityDate: '2025-07-15',
  devtools: { enabled: false },
  telemetry: false,
  app: { head: { title: 'coplay guest (Nuxt)' } },
  runtimeConfig: {
    // Public: where browsers find the broker. Set at run time with NUXT_PUBLIC_BROKER_URL.
    public: { brokerUrl: 'ws://127.0.0.1:18831/mqtt' },
  },
});
