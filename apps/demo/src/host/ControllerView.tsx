import type { ControllerState } from '@coplay/core';

const on = (s: ControllerState, i: number) => ((s.buttons & (1 << i)) !== 0 ? 'on' : '');
const FACE: Array<[number, string]> = [
  [0, 'A'],
  [1, 'B'],
  [2, 'X'],
  [3, 'Y'],
];

function Stick({ x, y, label }: { x: number; y: number; label: string }) {
  return (
    <div className="stick" title={`${label} ${x.toFixed(2)}, ${y.toFixed(2)}`}>
      <i style={{ transform: `translate(${x * 20}px, ${y * 20}px)` }} />
    </div>
  );
}

/** A live picture of one controller: d-pad, face buttons, both sticks. */
export function ControllerView({ state, testId }: { state: ControllerState; testId: string }) {
  return (
    <div className="pad" data-testid={testId} data-buttons={state.buttons} data-ly={state.axes[1].toFixed(2)}>
      <div className="dpad">
        <span />
        <span className={on(state, 12)}>▲</span>
        <span />
        <span className={on(state, 14)}>◀</span>
        <span />
        <span className={on(state, 15)}>▶</span>
        <span />
        <span className={on(state, 13)}>▼</span>
        <span />
      </div>
      <div className="stack" style={{ gap: 8 }}>
        <div className="face">
          {FACE.map(([i, name]) => (
            <span key={name} className={on(state, i)}>
              {name}
            </span>
          ))}
        </div>
        <div className="sticks">
          <Stick x={state.axes[0]} y={state.axes[1]} label="left stick" />
          <Stick x={state.axes[2]} y={state.axes[3]} label="right stick" />
        </div>
      </div>
    </div>
  );
}
