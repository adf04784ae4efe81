import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../lib/api-client';
import { renderWithProviders } from '../../testing/render';
import { ErrorState, isPermanent } from '../page-state';
import { ScrollRegion } from '../scroll-region';

describe('ErrorState', () => {
  it('when two sections fail with the same error, then the page shows it once and Retry reloads both', async () => {
    const overview = jest.fn();
    const top = jest.fn();
    const down = new ApiError(0, 'NETWORK', 'The Rapport service could not be reached.');
    renderWithProviders(
      <>
        <section aria-label="Overview">
          <ErrorState error={down} onRetry={overview} />
        </section>
        <section aria-label="Top accounts">
          <ErrorState error={down} onRetry={top} />
        </section>
      </>,
    );

    const alerts = screen.getAllByRole('alert');
    expect(alerts).toHaveLength(1);
    await userEvent.click(within(alerts[0]!).getByRole('button', { name: 'Retry' }));

    expect(overview).toHaveBeenCalledTimes(1);
    expect(top).toHaveBeenCalledTimes(1);
  });

  it('when two different errors fail, then both are shown', () => {
    renderWithProviders(
      <>
        <ErrorState error={new ApiError(500, 'INTERNAL', 'Disk full.')} />
        <ErrorState error={new ApiError(409, 'RUN_IN_PROGRESS', 'Run run-7 is still collecting.')} />
      </>,
    );
    expect(screen.getAllByRole('alert')).toHaveLength(2);
  });

  it('when the shown error goes away, then the next section with the same error shows it', () => {
    const down = new ApiError(0, 'NETWORK', 'The Rapport service could not be reached.');
    const { rerender } = renderWithProviders(
      <>
        <ErrorState key="a" error={down} />
        <ErrorState key="b" error={down} />
      </>,
    );
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    rerender(<ErrorState key="b" error={down} />);
    expect(screen.getAllByRole('alert')).toHaveLength(1);
  });

  it('when the title and the detail are read as text, then a space separates them', () => {
    renderWithProviders(<ErrorState error={new ApiError(500, 'INTERNAL', 'Disk full.')} />);
    expect(screen.getByRole('alert')).toHaveTextContent(/\S\. Disk full\.$/);
  });

  it('when the account does not exist, then there is no Retry and a link leads back to the dashboard', () => {
    renderWithProviders(<ErrorState error={new ApiError(404, 'NOT_FOUND', 'No account A-404.')} onRetry={jest.fn()} />);
    expect(screen.queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to the dashboard' })).toHaveAttribute('href', '#/');
  });

  it.each<[unknown, boolean]>([
    [new ApiError(404, 'NOT_FOUND', ''), true],
    [new ApiError(400, 'VALIDATION', ''), true],
    [new ApiError(409, 'CONFLICT', ''), false],
    [new ApiError(429, 'THROTTLED', ''), false],
    [new ApiError(503, 'UNAVAILABLE', ''), false],
    [new ApiError(0, 'NETWORK', ''), false],
    [new Error('boom'), false],
  ])('when the error is %p, then permanent is %p', (error, permanent) => {
    expect(isPermanent(error)).toBe(permanent);
  });
});

describe('ScrollRegion', () => {
  it('when it wraps a table, then it is a labelled region a keyboard can focus and scroll', () => {
    renderWithProviders(
      <ScrollRegion label="Run history">
        <table aria-label="Run history">
          <tbody>
            <tr>
              <td>1</td>
            </tr>
          </tbody>
        </table>
      </ScrollRegion>,
    );
    const region = screen.getByRole('region', { name: 'Run history' });
    expect(region).toHaveAttribute('tabindex', '0');
    expect(within(region).getByRole('table', { name: 'Run history' })).toBeInTheDocument();
  });
});
