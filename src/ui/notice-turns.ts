// The screen's notice answers the keys in the order they were pressed. Some
// answers come later than others: y and c say "Copied" once the system
// clipboard tool has finished, s says "Saved" once the file is written. Each
// key takes a turn when pressed; its answer is shown only while no later key
// has taken one, so a slow clipboard tool cannot replace the notice of the s
// pressed after it (and, by changing the notice's height, move the view).

/** `take()` at a key press; the setter it returns shows that key's notice, unless a later key took a turn. */
export function noticeTurns(show: (notice: string | undefined) => void): { take(): (notice: string | undefined) => void } {
  let turn = 0;
  return {
    take() {
      const mine = ++turn;
      return (notice) => {
        if (mine === turn) show(notice);
      };
    },
  };
}
