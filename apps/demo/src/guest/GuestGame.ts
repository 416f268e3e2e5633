import { defineComponent, h, onBeforeUnmount, onMounted, ref, type PropType } from 'vue';
import { createPong } from '../game/pong';
import { renderPong } from '../game/render';
import { toSnapshot, type PongSnapshot } from '../game/snapshot';

/**
 * Draws the host's broadcast game state. A guest only mirrors: the host simulates. In production
 * the guest would watch the host's live stream instead.
 */
export const GuestGame = defineComponent({
  name: 'GuestGame',
  props: {
    /** Returns the latest valid snapshot (read every animation frame, no Vue render in between). */
    latest: { type: Function as PropType<() => PongSnapshot | undefined>, required: true },
    slot: { type: Number as PropType<number | undefined>, default: undefined },
    /** Overrides the canvas banner (e.g. while reconnecting). */
    banner: { type: String as PropType<string | undefined>, default: undefined },
  },
  setup(props) {
    const canvas = ref<HTMLCanvasElement>();
    let frame = 0;
    const idle = toSnapshot(createPong());
    onMounted(() => {
      const ctx = canvas.value?.getContext('2d');
      if (!ctx) return;
      const draw = () => {
        const snap = props.latest();
        const you = props.slot === 2 ? ['P1 · host', 'P2 · you'] : ['P1 · host', 'P2'];
        const banner = props.banner ?? (snap ? undefined : 'Waiting for the host’s game…');
        renderPong(ctx, snap ?? idle, { labels: you as [string, string], ...(banner ? { banner } : {}) });
        frame = requestAnimationFrame(draw);
      };
      // The first picture too is drawn in an animation frame (before the first paint all the same), not
      // here: the page's connection starts in a parent's onMounted, after this one, and a guest opening
      // the link should not wait for a canvas to be drawn before its token request goes out.
      frame = requestAnimationFrame(draw);
    });
    onBeforeUnmount(() => cancelAnimationFrame(frame));
    return () => h('canvas', { ref: canvas, class: 'game', width: 800, height: 480, 'data-testid': 'game-canvas' });
  },
});
