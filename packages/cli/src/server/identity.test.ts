import { describe, expect, it } from 'vitest';
import { admit } from './identity.js';

describe('which clients a gob server serves', () => {
  const server = 'b1|p1|v20.20.2|/usr/bin/node';
  it('serves its own build: the same node, or the native client of its protocol', () => {
    expect(admit(server, server)).toBe('serve');
    expect(admit('b1|p1|native', server)).toBe('serve');
  });
  it('turns away a native client of another protocol, and stays up for the node clients', () => {
    expect(admit('b1|p2|native', server)).toBe('refuse');
  });
  it('steps down for another gob build or another node', () => {
    expect(admit('b2|p1|native', server)).toBe('replace');
    expect(admit('b2|p1|v20.20.2|/usr/bin/node', server)).toBe('replace');
    expect(admit('b1|p1|v22.1.0|/opt/node/bin/node', server)).toBe('replace');
  });
});
