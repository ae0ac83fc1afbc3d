import { Fragment } from 'react';

/**
 * Rubric text with `backticks` shown as inline code. Everything is rendered
 * as React text nodes: HTML in the text stays text.
 */
export function CodeText(props: { text?: string }) {
  const text = props.text ?? '';
  if (!text.includes('`')) return <>{text}</>;
  const parts = text.split('`');
  // An odd number of backticks leaves the last one as written.
  const closed = parts.length % 2 === 1;
  return (
    <>
      {parts.map((part, i) => {
        const isCode = i % 2 === 1 && (closed || i < parts.length - 1);
        if (isCode) return <code key={i}>{part}</code>;
        const prefix = i % 2 === 1 ? '`' : '';
        return <Fragment key={i}>{`${prefix}${part}`}</Fragment>;
      })}
    </>
  );
}
