import type { ControllerState } from '@coplay/core';
import { defineComponent, h, type PropType } from 'vue';

const on = (s: ControllerState, i: number) => ((s.buttons & (1 << i)) !== 0 ? 'on' : '');

const stick = (x: number, y: number) =>
  h('div', { class: 'stick' }, [h('i', { style: { transform: `translate(${x * 20}px, ${y * 20}px)` } })]);

/** A live picture of one controller (the same widget as the host's, in Vue). */
export const ControllerPad = defineComponent({
  name: 'ControllerPad',
  props: {
    state: { type: Object as PropType<ControllerState>, required: true },
    testId: { type: String, required: true },
  },
  setup(props) {
    return () => {
      const s = props.state;
      return h('div', { class: 'pad', 'data-testid': props.testId, 'data-buttons': s.buttons, 'data-ly': s.axes[1].toFixed(2) }, [
        h('div', { class: 'dpad' }, [
          h('span'),
          h('span', { class: on(s, 12) }, '▲'),
          h('span'),
          h('span', { class: on(s, 14) }, '◀'),
          h('span'),
          h('span', { class: on(s, 15) }, '▶'),
          h('span'),
          h('span', { class: on(s, 13) }, '▼'),
          h('span'),
        ]),
        h('div', { class: 'stack', style: { gap: '8px' } }, [
          h(
            'div',
            { class: 'face' },
            ['A', 'B', 'X', 'Y'].map((name, i) => h('span', { class: on(s, i), key: name }, name)),
          ),
          h('div', { class: 'sticks' }, [stick(s.axes[0], s.axes[1]), stick(s.axes[2], s.axes[3])]),
        ]),
      ]);
    };
  },
});
