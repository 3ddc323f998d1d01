/** "in 42 min", "3 h 5 min ago": how far a time is from now, for people. */
export function relativeTime(target: Date, now: Date): string {
  const ms = target.getTime() - now.getTime();
  const abs = Math.abs(ms);
  const min = Math.round(abs / 60000);
  let text: string;
  if (abs < 60000) text = `${Math.round(abs / 1000)} s`;
  else if (min < 120) text = `${min} min`;
  else if (min < 48 * 60) text = `${Math.floor(min / 60)} h ${min % 60} min`;
  else text = `${Math.round(min / 1440)} days`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}
