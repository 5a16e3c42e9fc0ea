// The question `claude configure` asks on a terminal about the status line, and what each answer
// means. A status line of the user's own is replaced only on an explicit yes.
import type { StatusLineChoice } from '../claude/status-line-setting.js';

export interface StatusLineOffer {
  question: string;
  /** The choice for an answer; an empty answer takes the default shown in the question. */
  choiceFor(answer: string): StatusLineChoice;
}

const yes = (answer: string, byDefault: boolean): boolean =>
  answer.trim() === '' ? byDefault : /^y(es)?$/i.test(answer.trim());

/** Null when there is nothing to ask (ours is already installed: configure refreshes it). */
export function statusLineOffer(current: 'proxy' | 'own' | 'none'): StatusLineOffer | null {
  if (current === 'proxy') return null;
  if (current === 'own') {
    return {
      question:
        "You have a status line of your own. Replace it with the proxy's (model, context window, quota)? " +
        'Yours is kept, and restore puts it back. [y/N] ',
      choiceFor: (answer) => (yes(answer, false) ? 'install' : 'auto'),
    };
  }
  return {
    question: "Show the proxy's model, context window and quota in Claude Code's status line? [Y/n] ",
    choiceFor: (answer) => (yes(answer, true) ? 'auto' : 'skip'),
  };
}
