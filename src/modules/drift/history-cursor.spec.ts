import { ApiError } from '../../common/http/api-error';
import { parseHistoryCursor } from './history-cursor';

describe('parseHistoryCursor', () => {
  it('takes a scan id', () => {
    expect(parseHistoryCursor('0D6C3F5E-8A4B-4C2D-9E1F-1234567890AB')).toEqual({
      scanId: '0d6c3f5e-8a4b-4c2d-9e1f-1234567890ab',
    });
  });

  it.each([
    ['2025-03-01T12:00:00Z', '2025-03-01T12:00:00.000Z'],
    ['2025-03-01T12:00:00.123+02:00', '2025-03-01T10:00:00.123Z'],
    ['2025-03-01', '2025-03-01T00:00:00.000Z'],
  ])('takes the ISO time %s', (text, iso) => {
    expect(parseHistoryCursor(text)).toEqual({ time: new Date(iso) });
  });

  it.each(['yesterday', '12345', '2025-13-45T00:00:00Z', 'not-a-uuid-0000'])(
    'refuses %s naming the field',
    (text) => {
      let error: unknown;
      try {
        parseHistoryCursor(text);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).getStatus()).toBe(400);
      expect((error as ApiError).getResponse()).toMatchObject({ error: { details: [{ field: 'before' }] } });
    },
  );
});
