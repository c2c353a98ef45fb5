/**
 * AMQP topic-exchange matching: keys and patterns are dot-separated words; in a pattern `*` stands for
 * exactly one word and `#` for zero or more words. Any other pattern word must equal the key word.
 */
export function matchesTopicPattern(pattern: string, routingKey: string): boolean {
  const patternWords = pattern.split('.');
  const keyWords = routingKey.split('.');
  // reachable[j]: the pattern prefix read so far can consume exactly the first j key words.
  let reachable = new Array<boolean>(keyWords.length + 1).fill(false);
  reachable[0] = true;
  for (const word of patternWords) {
    const next = new Array<boolean>(keyWords.length + 1).fill(false);
    if (word === '#') {
      let seen = false;
      for (let j = 0; j <= keyWords.length; j++) {
        seen = seen || reachable[j];
        next[j] = seen;
      }
    } else {
      for (let j = 0; j < keyWords.length; j++) {
        if (reachable[j] && (word === '*' || word === keyWords[j])) next[j + 1] = true;
      }
    }
    reachable = next;
  }
  return reachable[keyWords.length];
}

/** True when any of the patterns matches the routing key. */
export function matchesAnyTopicPattern(patterns: Iterable<string>, routingKey: string): boolean {
  for (const pattern of patterns) if (matchesTopicPattern(pattern, routingKey)) return true;
  return false;
}
