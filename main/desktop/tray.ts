// The tray icon: its image per platform, and a menu and tooltip replaced wholesale on each update.
import { Menu, Tray, nativeImage } from 'electron';
import { buildTrayMenu, trayTooltip, type TrayActions, type TrayState } from './tray-menu.js';

export class AppTray {
  private readonly tray: Tray;

  constructor(iconPath: string, private readonly actions: TrayActions) {
    const image = nativeImage.createFromPath(iconPath);
    // nativeImage picks up the @2x file next to it; the Template suffix makes macOS tint it for
    // light and dark menu bars, set explicitly in case the name is ever changed.
    if (process.platform === 'darwin') image.setTemplateImage(true);
    this.tray = new Tray(image);
    this.tray.setToolTip('Codex Claude Proxy');
  }

  update(state: TrayState): void {
    this.tray.setContextMenu(Menu.buildFromTemplate(buildTrayMenu(state, this.actions)));
    this.tray.setToolTip(trayTooltip(state));
  }

  destroy(): void {
    this.tray.destroy();
  }
}
